'use client'
import { paymentProviders } from '../lib/payments'

export function Checkout() {
  const providers = paymentProviders()
  return <p>{Object.keys(providers).join(', ')}</p>
}
