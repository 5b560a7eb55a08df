import { Router } from 'express';
import { confirmPayment } from '../webhooks/payment-hook';

const router = Router();

router.route('/confirm').post(confirmPayment); // expect: unprotected-route-handler

export default router;
