import { hookTrigger } from '../lib/hooks';

export default hookTrigger('appointment.created');
