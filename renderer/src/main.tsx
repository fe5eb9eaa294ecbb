import { systemClock } from '../../protocol/clock.js';
import { pickStudioClient } from './client/pick-client.js';
import { mountStudio } from './mount.js';

mountStudio(document.getElementById('root')!, { client: pickStudioClient(window), clock: systemClock });
