export { AksBaselineNotifier } from './AksBaselineNotifier';
export type {
  EvaluatedCluster,
  EvaluationListener,
} from './AksBaselineNotifier';
export { NotificationLog } from './NotificationLog';
export { readNotificationSettings } from './settings';
export type { NotificationSettings } from './settings';
export { NOTIFICATION_TOPICS } from './messages';
