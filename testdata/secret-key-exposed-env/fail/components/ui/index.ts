export { CheckoutForm } from './CheckoutForm'
