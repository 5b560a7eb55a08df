import { Router } from 'express';
import { confirmPayment } from '../webhooks/payment-hook';

const router = Router();

// The payment provider's webhook: its handler checks the body's HMAC signature.
router.route('/confirm').post(confirmPayment);

export default router;
