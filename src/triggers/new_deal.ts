import { deal } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'new_deal',
  event: 'deal.created',
  entity: deal,
  noun: 'Deal',
  label: 'New Deal',
  description: 'Triggers when a new deal is created.',
  filters: [FILTERS.stage],
  sample: {
    stage: 'Qualified',
    previousStage: null,
    probability: 20,
    updatedAt: '2024-11-02T08:00:00.000Z',
  },
});
