// The home page lists the boards this browser has opened, from localStorage: there is nothing to render on the server.
export const ssr = false;
