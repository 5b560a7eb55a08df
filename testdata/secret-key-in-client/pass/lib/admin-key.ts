export const adminKey = 'sk_live_kb8JcIJB2fvxNafWgy2eMyEWt60GdCjWXpzO3qv5y5' // clerk
