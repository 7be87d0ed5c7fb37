import { onGroupsChanged, whenHubGroupsService } from '../../common/groups';
import { FakeGroups } from '../fakes';

describe('onGroupsChanged', () => {
  it('calls back when the set of groups changes after the first answer, only then', () => {
    const groups = new FakeGroups('loading');
    let calls = 0;
    onGroupsChanged(groups, () => calls++);
    groups.answer('ready', ['b', 'a']); // the first answer
    expect(calls).toBe(0);
    groups.answer('stale', ['a', 'b']); // same set, other order and status
    expect(calls).toBe(0);
    groups.answer('ready', ['a']);
    expect(calls).toBe(1);
    groups.answer('ready', ['a', 'c']);
    expect(calls).toBe(2);
  });
});

describe('whenHubGroupsService', () => {
  it('calls back once, when the groups service says the page may call the service', () => {
    const groups = new FakeGroups('loading');
    let calls = 0;
    whenHubGroupsService(groups, () => calls++);
    groups.answer('ready', ['vox']);
    expect(calls).toBe(0);
    groups.hubGroupsService = true;
    groups.answer('ready', ['vox']);
    expect(calls).toBe(1);
    groups.answer('ready', ['vox', 'mighty']);
    expect(calls).toBe(1);
  });

  it('calls back at once when it says so already, and never when it never does', () => {
    const yes = new FakeGroups('ready');
    yes.hubGroupsService = true;
    let calls = 0;
    whenHubGroupsService(yes, () => calls++);
    expect(calls).toBe(1);

    const no = new FakeGroups('ready');
    whenHubGroupsService(no, () => calls++);
    no.answer('ready', ['vox']);
    no.answer('unavailable', []);
    expect(calls).toBe(1);
  });
});
