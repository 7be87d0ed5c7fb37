import { Signal } from '@lumino/signaling';

import { whenHolds } from '../../common/when';

describe('whenHolds', () => {
  it('calls back once, at the first change after which the condition holds', () => {
    const changed = new Signal<object, void>({});
    let holds = false;
    let calls = 0;
    whenHolds(
      changed,
      () => holds,
      () => calls++
    );
    changed.emit();
    expect(calls).toBe(0);
    holds = true;
    changed.emit();
    expect(calls).toBe(1);
    changed.emit();
    holds = false;
    changed.emit();
    expect(calls).toBe(1);
  });

  it('calls back at once when it holds already, and then no more', () => {
    const changed = new Signal<object, void>({});
    let calls = 0;
    whenHolds(
      changed,
      () => true,
      () => calls++
    );
    expect(calls).toBe(1);
    changed.emit();
    expect(calls).toBe(1);
  });

  it('never calls back when it never holds', () => {
    const changed = new Signal<object, void>({});
    let calls = 0;
    whenHolds(
      changed,
      () => false,
      () => calls++
    );
    changed.emit();
    changed.emit();
    expect(calls).toBe(0);
  });
});
