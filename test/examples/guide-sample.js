// The "Node.js Webhook Receiver" of ISAO's webhooks guide, as the guide gives it, but for its
// port (PORT, printed once listening) so a test can run it: examples/express/server.mjs is the
// same receiver done right, and test/examples shows what this one gets wrong.
const express = require('express');
const crypto = require('crypto');
const app = express();

app.use(express.json());

// Webhook endpoint
app.post('/webhook/isao', (req, res) => {
  const event = req.body;

  console.log('Received event:', event.event);
  console.log('Event data:', event.data);

  // Process the event based on type
  switch (event.event) {
    case 'contact.created':
      handleNewContact(event.data);
      break;
    case 'deal.won':
      handleDealWon(event.data);
      break;
    default:
      console.log('Unknown event type:', event.event);
  }

  // Respond with 200 to acknowledge receipt
  res.status(200).json({ received: true });
});

function handleNewContact(contact) {
  console.log('New contact:', contact.name);
  // Add your business logic here
  // e.g., send welcome email, add to CRM, etc.
}

function handleDealWon(deal) {
  console.log('Deal won:', deal.title, deal.value);
  // Add your business logic here
  // e.g., generate invoice, send congratulations, etc.
}

const server = app.listen(Number(process.env.PORT), () => {
  console.log('Webhook server listening on port ' + server.address().port);
});

// the guide requires crypto and never uses it: no signature is checked
void crypto;
