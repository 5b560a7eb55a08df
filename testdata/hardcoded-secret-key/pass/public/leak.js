k = "sk_live_MdgaKjIg8xNbe3nNyjOq9wMxEhh2FDEEtfjgVvVqE1"
