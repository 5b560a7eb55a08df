import 'server-only'

export function paymentsClient() {
  return { secret: process.env.NEXT_PUBLIC_PAYMENTS_SECRET }
}
