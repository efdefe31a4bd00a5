import type * as vscode from 'vscode';

/** Owns disposables: everything a feature registers is disposed with it (Bicep's Disposable base). */
export class DisposableOwner implements vscode.Disposable {
  private readonly children: { dispose(): unknown }[] = [];
  private disposed = false;

  /** Registers a child and returns it, so `const x = owner.own(create())` reads naturally. */
  own<T extends { dispose(): unknown }>(child: T): T {
    if (this.disposed) child.dispose();
    else this.children.push(child);
    return child;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.children.splice(0).reverse()) {
      try { c.dispose(); } catch { /* one failing child must not keep the others alive */ }
    }
  }
}
