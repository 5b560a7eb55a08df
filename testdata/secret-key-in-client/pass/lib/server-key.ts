export const serverKey = 'sk_test_sg3ECMIbQntgQksVPFzK6uOYKwlF2m2kRAmDhCi1eA' // clerk
