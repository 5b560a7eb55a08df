// A helper module that happens to be named middleware.
export const log = (x: string) => console.log(x)
