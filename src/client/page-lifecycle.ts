/**
 * The page tells the worker when it may be going away (`pagehide`, or the
 * tab becoming hidden — on mobile, the last event a page reliably gets), so
 * the worker saves at once instead of waiting for its debounce.
 */
export function forwardPageLifecycle(onHide: () => void): () => void {
  if (typeof document === 'undefined' || typeof addEventListener !== 'function') return () => {};
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') onHide();
  };
  addEventListener('pagehide', onHide);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    removeEventListener('pagehide', onHide);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
