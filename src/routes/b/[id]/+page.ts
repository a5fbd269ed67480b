// The board is a Konva canvas bound to a live Yjs doc: nothing meaningful to render on the server.
export const ssr = false;
