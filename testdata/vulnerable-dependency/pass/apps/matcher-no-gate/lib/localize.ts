import { NextResponse, type NextRequest } from 'next/server'

export function localize(req: NextRequest) {
  const url = req.nextUrl.clone()
  url.pathname = `/en${url.pathname}`
  return NextResponse.rewrite(url)
}
