// Moving focus to a view's heading when the view appears, so screen readers announce the new
// content and keyboard users start at the top. Used as `<h1 tabindex="-1" {@attach focusOnShow}>`.
import { tick } from 'svelte';
import type { Attachment } from 'svelte/attachments';

export const focusOnShow: Attachment<HTMLElement> = (element) => {
  void tick().then(() => {
    window.scrollTo(0, 0);
    element.focus({ preventScroll: true });
  });
};
