import { deal } from '../lib/entities';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'deal_won',
  event: 'deal.won',
  entity: deal,
  noun: 'Deal',
  label: 'Deal Won',
  description: 'Triggers when a deal is marked as won.',
  sample: { stage: 'Closed Won', previousStage: 'Negotiation', status: 'won', probability: 100 },
});
