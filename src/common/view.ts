import { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

/**
 * A widget that renders a model again whenever the model's `changed` fires,
 * and stops following it when disposed.
 *
 * #### Notes
 * Subclasses call `this.render()` at the end of their constructor, once
 * their own fields are set.
 */
export abstract class ModelView<
  M extends { readonly changed: ISignal<any, void> }
> extends Widget {
  constructor(
    protected readonly model: M,
    options?: Widget.IOptions
  ) {
    super(options);
    model.changed.connect(this.render, this);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  /**
   * Render the model into `this.node`. Values are set as text.
   */
  protected abstract render(): void;
}
