export const matchers = ['/dashboard/:path*']
