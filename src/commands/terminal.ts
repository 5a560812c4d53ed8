export { canUseTerminalUi } from '../session/renderer.js';
