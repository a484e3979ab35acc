import { loadStripe } from '@stripe/stripe-js';

const stripePromise = loadStripe('pk_live_51QWgWOoe3TSFzdy7ASM5BtJ4In47bUIxgJpIgifJDtI7PonsqbILlztoTjGq3LT2ORom5iw6coeR6HsRET34xohGeb31wyKwo4');

export async function redirectToCheckout(sessionId) {
  const stripe = await stripePromise;
  return stripe.redirectToCheckout({ sessionId });
}
