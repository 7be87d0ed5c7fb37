import {
  linkedCourse,
  withoutManageParam
} from '../../../courses/members/link';

const LAB = 'http://127.0.0.1:8000/user/prof/lab';

describe('the e-mail link', () => {
  it('names the course whose panel to open', () => {
    expect(linkedCourse(`${LAB}?hub-groups-manage=Class1234_Semester02`)).toBe(
      'Class1234_Semester02'
    );
    expect(linkedCourse(`${LAB}?hub-groups-manage=a%2Fb%20c&reset`)).toBe(
      'a/b c'
    );
    expect(linkedCourse(LAB)).toBeNull();
    expect(linkedCourse(`${LAB}?hub-groups-manage=`)).toBeNull();
    expect(
      linkedCourse(`${LAB}?hub-groups-manage=${'x'.repeat(256)}`)
    ).toBeNull();
    expect(linkedCourse('not a url')).toBeNull();
  });

  it('leaves the address without it, the rest as it was', () => {
    expect(
      withoutManageParam(`${LAB}?hub-groups-manage=Class1234_Semester02`)
    ).toBe(LAB);
    expect(
      withoutManageParam(
        `${LAB}/tree/x.ipynb?reset&hub-groups-manage=C&a=1%2F2#frag`
      )
    ).toBe(`${LAB}/tree/x.ipynb?reset&a=1%2F2#frag`);
    expect(withoutManageParam(`${LAB}?hub%2Dgroups%2Dmanage=C`)).toBe(LAB);
    expect(withoutManageParam(`${LAB}?reset`)).toBe(`${LAB}?reset`);
  });
});
