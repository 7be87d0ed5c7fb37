"""``python -m jupyterlab_hub_groups.hub check groups.yaml`` (hub/__main__.py)."""

import subprocess
import sys
import textwrap

import pytest

from jupyterlab_hub_groups.hub.__main__ import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path, text):
    path = tmp_path / "groups.yaml"
    path.write_text(textwrap.dedent(text))
    return path


GOOD = """\
    projects:
      vox:
        members: [vex, vax]
    courses:
      Class1234_Semester02:
        students: [mmuster]
        instructors: [prof]
        kernels:
          class1234_semester02:
            argv: [python, -m, ipykernel_launcher, -f, "{connection_file}"]
    """


def test_a_good_file_says_what_it_becomes_and_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, GOOD)
    status, out, err = run(capsys, "check", str(path))
    assert status == 0
    assert err.startswith("note (projects): unless the hub sets c.JupyterHub.subdomain_host"), err
    assert f"{path}: no mistakes" in out
    assert "  vox: vex, vax" in out
    assert "  collaborative: vox-collab" in out
    assert "  vox-collab: shared server of project vox" in out
    # roles with their scopes, and who holds them
    assert "  collab-access-vox (for groups vox):\n    access:servers!user=vox-collab\n" in out
    assert "  instructor-class1234_semester02 (for users prof):" in out
    assert "    groups!group=Class1234_Semester02\n" in out
    assert "  hub-groups (for services hub-groups):" in out
    assert "-m jupyterlab_hub_groups.service" in out
    assert "restart its shared server" in out
    assert "kernels: class1234_semester02" in out
    assert "also in the servers of whoever holds groups!group=Class1234_Semester02" in out
    assert list(tmp_path.iterdir()) == [path], "nothing written"


def test_a_file_with_projects_gets_a_note_about_one_origin(tmp_path, capsys):
    """check cannot see the hub config (subdomain_host): it says what a hub
    without subdomains means for projects whenever the file has some."""
    status, _, err = run(capsys, "check", str(write(tmp_path, GOOD)))
    assert status == 0
    [note] = err.splitlines()
    assert "a page served on one server can open another server's JupyterLab" in note
    assert "Project members" in note and "groups!group=<course>" in note
    assert "Set c.JupyterHub.subdomain_host" in note
    courses_only = write(tmp_path, "courses:\n  c1:\n    students: [mmuster]\n")
    status, _, err = run(capsys, "check", str(courses_only))
    assert (status, err) == (0, "")


def test_every_mistake_is_printed_with_its_place(tmp_path, capsys):
    path = write(
        tmp_path,
        """\
        settings:
          on_member_removed: maybe
        projects:
          vox:
            members: [vex, 7]
        """,
    )
    status, out, err = run(capsys, "check", str(path))
    assert (status, out) == (1, "")
    assert f"{path}: 2 mistake(s):" in err
    assert "  - settings.on_member_removed: must be one of restart, stop, none" in err
    assert "  - projects.vox.members[1]: must be a user name (a string), not 7" in err
    assert list(tmp_path.iterdir()) == [path]


def test_folders_that_overlap_are_a_mistake(tmp_path, capsys):
    path = write(tmp_path, "settings:\n  generated_dir: gen\n  state_dir: gen/state\n")
    status, _, err = run(capsys, "check", str(path))
    assert status == 1 and "settings.state_dir:" in err


def test_a_missing_file_is_a_mistake(tmp_path, capsys):
    status, _, err = run(capsys, "check", str(tmp_path / "nope.yaml"))
    assert status == 1 and "cannot be read" in err


def test_an_empty_file_becomes_nothing_but_the_collaborative_group(tmp_path, capsys):
    status, out, _ = run(capsys, "check", str(write(tmp_path, "")))
    assert status == 0
    assert "collaborative: (nobody)" in out and "service hub-groups:\n  none" in out


@pytest.mark.parametrize("argv", [[], ["check"], ["lint", "groups.yaml"]])
def test_a_bad_command_line_is_a_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    assert "usage: python -m jupyterlab_hub_groups.hub" in capsys.readouterr().err


def test_it_runs_as_a_module_with_its_exit_status(tmp_path):
    good = write(tmp_path, GOOD)
    done = subprocess.run(
        [sys.executable, "-m", "jupyterlab_hub_groups.hub", "check", str(good)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0 and "no mistakes" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("projects: [vox]\n")
    done = subprocess.run(
        [sys.executable, "-m", "jupyterlab_hub_groups.hub", "check", str(bad)],
        capture_output=True, text=True,
    )
    assert done.returncode == 1 and "projects: must be a mapping" in done.stderr


def test_requests_to_join_say_where_they_go(tmp_path, capsys):
    path = write(
        tmp_path,
        GOOD.rstrip(" ")
        + """\
        enrolment: request
        notify: [prof@example.org]
      Open101:
        enrolment: open
    """,
    )
    status, out, err = run(capsys, "check", str(path))
    assert status == 0 and "warning" not in err, err
    assert "requests to join courses: API at http://127.0.0.1:10101" in out
    assert "database: sqlite:///" in out and "enrolment.sqlite" in out
    assert "rate limit: 5 request(s) per user and hour" in out
    assert "e-mail: none (no settings.smtp)" in out
    assert "Class1234_Semester02: request (people ask, its instructors approve)" in out
    assert "notify prof@example.org: not e-mailed: no settings.smtp" in out
    assert "Open101: open (people join)" in out
    assert "    groups!group=Open101\n" in out
    assert "access:services!service=hub-groups" in out


def test_a_database_password_is_not_printed(tmp_path, capsys):
    path = write(
        tmp_path,
        """\
    settings:
      enrolment_db_url: postgresql://hub:s3cr3t@db.example.org/hub_groups
    courses:
      c1:
        enrolment: request
    """,
    )
    status, out, _ = run(capsys, "check", str(path))
    assert status == 0
    assert "postgresql://hub:***@db.example.org/hub_groups" in out and "s3cr3t" not in out


@pytest.mark.parametrize(
    "url, shown",
    [
        (
            "postgresql+psycopg2://hub@db.example.org/hub?password=s3cr3t&sslmode=require",
            "postgresql+psycopg2://hub@db.example.org/hub?password=***&sslmode=require",
        ),
        (
            "postgresql://hub@db/hub?sslpassword=s3cr3t&sslrootcert=/etc/ca.pem",
            "postgresql://hub@db/hub?sslpassword=***&sslrootcert=/etc/ca.pem",
        ),
        ("mysql+pymysql://hub:s3cr3t@db/hub?charset=utf8mb4", "mysql+pymysql://hub:***@db/hub?charset=utf8mb4"),
        ("postgresql://hub@db/hub?pass%77ord=s3cr3t", "postgresql://hub@db/hub?pass%77ord=***"),
    ],
)
def test_a_password_in_the_query_is_not_printed_either(tmp_path, capsys, url, shown):
    path = write(
        tmp_path,
        f"""\
    settings:
      enrolment_db_url: "{url}"
    courses:
      c1:
        enrolment: request
    """,
    )
    status, out, _ = run(capsys, "check", str(path))
    assert status == 0
    assert f"database: {shown} " in out and "s3cr3t" not in out
