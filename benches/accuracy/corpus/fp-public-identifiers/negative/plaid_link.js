const handler = Plaid.create({
  token: linkToken,
  onSuccess: async (publicToken, metadata) => {
    // publicToken looks like public-production-<uuid> and is exchanged server-side
    await fetch('/api/plaid/exchange', { method: 'POST', body: JSON.stringify({ publicToken, institution: metadata.institution.name }) });
  },
});
