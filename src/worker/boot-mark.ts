/**
 * Imported first by the worker entry, so it runs before every other module of the bundle: the `boot` mark
 * tells loading the script apart from running its modules (status().startup.scriptMs counts both).
 */
import { startupMark } from './startup-mark.js';

startupMark('boot');
