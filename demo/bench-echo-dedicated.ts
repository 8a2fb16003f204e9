// The floor for the leader topology's round trip: a dedicated Worker that
// echoes every message straight back, with no RPC layer.
const echo = globalThis as unknown as { onmessage: ((event: MessageEvent) => void) | null; postMessage(data: unknown): void };
echo.onmessage = (event) => echo.postMessage(event.data);
export {};
