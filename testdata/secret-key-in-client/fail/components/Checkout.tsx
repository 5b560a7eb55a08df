'use client'
// A barrel file: lib/payments/index.ts re-exports the modules below.
import { payments } from '../lib/payments'

export const Checkout = () => <button onClick={() => payments.charge()}>Pay</button>
