import { deal } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'deal_stage_changed',
  event: 'deal.stage_changed',
  entity: deal,
  noun: 'Deal',
  label: 'Deal Stage Changed',
  description: 'Triggers when a deal moves to a new stage.',
  filters: [FILTERS.stage],
});
