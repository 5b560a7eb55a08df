export function withLogging<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  return async (...args: A) => {
    console.log('calling', fn.name)
    return fn(...args)
  }
}
