// A lazily loaded chunk (a page and what it alone needs), fetched once; a failed download is
// forgotten so that "try again" fetches it anew.
export function lazyDefault<T>(load: () => Promise<{ default: T }>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().then(
      (module) => module.default,
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    ));
}
