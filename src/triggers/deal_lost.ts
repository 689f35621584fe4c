import { deal } from '../lib/entities';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'deal_lost',
  event: 'deal.lost',
  entity: deal,
  noun: 'Deal',
  label: 'Deal Lost',
  description: 'Triggers when a deal is marked as lost.',
  sample: { stage: 'Closed Lost', previousStage: 'Proposal', status: 'lost', probability: 0 },
});
