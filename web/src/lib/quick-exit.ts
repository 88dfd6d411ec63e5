// The quick exit is offered by the organisation page to everything inside it; a modal dialog,
// which makes the rest of the page inert, shows its own quick-exit button through this.
import { getContext, setContext } from 'svelte';

const KEY = Symbol('klankbord.quick-exit');

export function provideQuickExit(exit: () => void): void {
  setContext(KEY, exit);
}

export function useQuickExit(): (() => void) | undefined {
  return getContext<(() => void) | undefined>(KEY);
}
