export const chain = (fns) => (req, ev) => fns[0](() => null)(req, ev)
