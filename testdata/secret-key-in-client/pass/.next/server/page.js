// Server build output never reaches the browser.
const k = "sk_live_lSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMF";
