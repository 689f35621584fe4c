import { deal } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'deal_updated',
  event: 'deal.updated',
  entity: deal,
  noun: 'Deal',
  label: 'Updated Deal',
  description: "Triggers when a deal's details change.",
  filters: [FILTERS.stage],
});
