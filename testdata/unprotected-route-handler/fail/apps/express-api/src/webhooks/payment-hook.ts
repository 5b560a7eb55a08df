import crypto from 'crypto';
import { db } from '../db';

// Near miss: the HMAC is compared, but a mismatch is only logged and the order still changes.
export const confirmPayment = async (req, res) => {
  try {
    const sent = req.headers['x-pay-signature'];
    const expected = crypto
      .createHmac('sha256', process.env.PAY_HOOK_SECRET)
      .update(JSON.stringify(req.body))
      .digest('hex');
    if (expected !== sent) {
      console.warn('signature mismatch');
    }
    const order = await db.orders.markPaid(req.body.orderId);
    return res.status(200).json({ ok: true, order });
  } catch (err) {
    return res.status(500).json({ ok: false });
  }
};
