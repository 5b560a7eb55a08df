export function withLogging(handler: (req: Request) => Promise<Response>) {
  return async (req: Request) => {
    console.log(req.url)
    return handler(req)
  }
}
