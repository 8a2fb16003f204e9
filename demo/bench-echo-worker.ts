// The floor for the round-trip benchmark: a SharedWorker that echoes every
// message straight back, with no RPC layer.
const scope = globalThis as unknown as { onconnect: ((event: MessageEvent) => void) | null };
scope.onconnect = (event) => {
  const port = event.ports[0]!;
  port.onmessage = (message) => port.postMessage(message.data);
};
