import { onGroupsChanged } from '../../common/groups';
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
