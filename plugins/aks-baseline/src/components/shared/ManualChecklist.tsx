import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import { CodeSnippet, InfoCard, Progress } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  aksBaselineManualConfirmPermission,
  ManualChecklistEvent,
  ManualChecklistResponse,
  ManualConfirmation,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { useReloadable } from '../AksBaselinePage/useReloadable';
import { SeverityChip } from './Chips';
import { ServiceError } from './ServiceError';
import { absoluteTime, shortRef } from './format';

const useStyles = makeStyles(theme => ({
  item: {
    alignItems: 'flex-start',
    paddingLeft: 0,
  },
  body: {
    flex: 1,
    minWidth: 0,
    paddingTop: theme.spacing(1),
  },
  title: {
    fontWeight: 600,
  },
  key: {
    color: theme.palette.text.secondary,
    marginLeft: theme.spacing(1),
    fontWeight: 400,
  },
  details: {
    marginTop: theme.spacing(1),
  },
  // Primary text: the theme's secondary grey misses 4.5:1 on the page's grey.
  status: { color: theme.palette.text.primary },
}));

/**
 * Manual rules (from the catalog) and the rules of the entity's manual
 * findings, one item per rule; with `concerns`, only the items of a
 * service's page (not cluster operations) or of a cluster's page.
 */
export function manualItems(
  rules: ReadonlyMap<string, RuleInfo>,
  manualRuleIds: readonly string[],
  concerns?: 'service' | 'cluster',
): RuleInfo[] {
  const items = new Map<string, RuleInfo>();
  const shown = (rule: RuleInfo) =>
    !concerns || !rule.manual?.concerns || rule.manual.concerns === concerns;
  for (const rule of rules.values()) {
    if (rule.manual && rule.enabled !== false && shown(rule)) {
      items.set(rule.id, rule);
    }
  }
  for (const id of manualRuleIds) {
    const rule = rules.get(id);
    // A rule the catalog does not know cannot be described; it is left out.
    if (!rule || items.has(id) || !shown(rule)) continue;
    items.set(id, {
      ...rule,
      manual: rule.manual ?? { reason: rule.rationale },
    });
  }
  return [...items.values()].sort((a, b) =>
    a.baselineRef.localeCompare(b.baselineRef),
  );
}

function confirmationText(c: ManualConfirmation | undefined): string {
  if (!c) return 'Not confirmed';
  return `Confirmed by ${shortRef(c.by)} on ${absoluteTime(
    c.confirmedAt,
  )}, until ${absoluteTime(c.expiresAt)}`;
}

function ChecklistItem(props: {
  rule: RuleInfo;
  confirmation?: ManualConfirmation;
  /** Why the box cannot be changed (said once under the list), if it cannot. */
  disabled?: string;
  onToggle: (checked: boolean) => void;
}) {
  const { rule, confirmation, disabled, onToggle } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const labelId = `aks-baseline-manual-${rule.id}`;
  const snippet = rule.remediation.command ?? rule.remediation.snippet;
  return (
    <ListItem className={classes.item} divider data-testid={labelId}>
      <Checkbox
        checked={!!confirmation}
        onChange={e => onToggle(e.target.checked)}
        color="primary"
        disabled={!!disabled}
        inputProps={{
          'aria-labelledby': `${labelId}-title`,
          'aria-describedby': `${labelId}-status`,
        }}
      />
      <Box className={classes.body}>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography
            variant="body2"
            className={classes.title}
            id={`${labelId}-title`}
          >
            {rule.title}
            <span className={classes.key}>{rule.baselineRef}</span>
          </Typography>
          <SeverityChip severity={rule.severity} />
        </Box>
        <Typography
          variant="caption"
          component="p"
          className={classes.status}
          id={`${labelId}-status`}
        >
          {confirmationText(confirmation)}
        </Typography>
        <Collapse in={open}>
          <Box className={classes.details}>
            {rule.manual?.reason ? (
              <Typography variant="body2" paragraph>
                {rule.manual.reason}
              </Typography>
            ) : null}
            <Typography variant="body2">
              <strong>How:</strong> {rule.remediation.summary}
            </Typography>
            {snippet ? (
              <Box mt={1}>
                <CodeSnippet
                  text={snippet}
                  // Plain text: the light theme's syntax colours miss 4.5:1 contrast.
                  language="text"
                  showCopyCodeButton
                />
              </Box>
            ) : null}
          </Box>
        </Collapse>
      </Box>
      <IconButton
        aria-label={
          open
            ? `Hide details of ${rule.baselineRef}`
            : `Show details of ${rule.baselineRef}`
        }
        aria-expanded={open}
        onClick={() => setOpen(o => !o)}
      >
        {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
      </IconButton>
    </ListItem>
  );
}

function History(props: {
  events: ManualChecklistEvent[];
  titles: ReadonlyMap<string, string>;
}) {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  if (!props.events.length) return null;
  return (
    <Box mt={1}>
      <Button
        size="small"
        onClick={() => setOpen(o => !o)}
        aria-expanded={open}
        endIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
      >
        History ({props.events.length})
      </Button>
      <Collapse in={open}>
        <List dense aria-label="Checklist history">
          {props.events.map((e, i) => (
            <ListItem key={`${e.at}-${i}`} disableGutters>
              <Typography variant="body2" className={classes.status}>
                {absoluteTime(e.at)}: {shortRef(e.by)} {e.action}{' '}
                {props.titles.get(e.ruleId) ?? e.ruleId}
              </Typography>
            </ListItem>
          ))}
        </List>
      </Collapse>
    </Box>
  );
}

/**
 * The baseline items no API can show, as a checklist its owners confirm.
 * Confirmations are kept by the AKS Baseline backend, shared by everyone
 * who may see the entity, with who and when, and expire after a period;
 * they are never counted as passed and never enter the score.
 */
export function ManualChecklist(props: {
  /** The entity ref of the service or the cluster's Resource. */
  subject: string;
  items: RuleInfo[];
}) {
  const { subject, items } = props;
  const api = useApi(aksBaselineApiRef);
  const alertApi = useApi(alertApiRef);
  const ref = parseEntityRef(subject);
  const permission = usePermission({
    permission: aksBaselineManualConfirmPermission,
    resourceRef: subject,
  });
  const loaded = useReloadable(
    () => api.getManualChecklist(ref),
    [api, subject],
  );
  const [changed, setChanged] = useState<ManualChecklistResponse>();
  const [saving, setSaving] = useState<string>();
  const checklist = changed ?? loaded.value;

  const toggle = async (ruleId: string, checked: boolean) => {
    setSaving(ruleId);
    try {
      setChanged(await api.setManualConfirmation(ref, ruleId, checked));
    } catch (e) {
      alertApi.post({
        message: `Could not save the checklist: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setSaving(undefined);
    }
  };

  if (items.length === 0) return null;
  const confirmations = new Map(
    (checklist?.confirmations ?? []).map(c => [c.ruleId, c]),
  );
  const done = items.filter(i => confirmations.has(i.id)).length;
  let disabled: string | undefined;
  if (!permission.allowed) {
    disabled = permission.loading
      ? 'Checking your permission'
      : 'You may not confirm these items (aks-baseline.manual.confirm)';
  }

  let body;
  if (loaded.error && !checklist) {
    body = (
      <ServiceError
        error={loaded.error}
        retry={loaded.retry}
        what="the checklist"
      />
    );
  } else if (!checklist) {
    body = <Progress />;
  } else {
    body = (
      <>
        <List
          disablePadding
          aria-label="Manual checklist"
          data-testid="aks-baseline-manual-checklist"
        >
          {items.map(rule => (
            <ChecklistItem
              key={rule.id}
              rule={rule}
              confirmation={confirmations.get(rule.id)}
              disabled={saving ? 'Saving' : disabled}
              onToggle={checked => toggle(rule.id, checked)}
            />
          ))}
        </List>
        {disabled && !permission.loading ? (
          <Typography variant="body2" style={{ marginTop: 8 }}>
            {disabled}
          </Typography>
        ) : null}
        <History
          events={checklist.history}
          titles={
            new Map(items.map(i => [i.id, `${i.baselineRef} ${i.title}`]))
          }
        />
      </>
    );
  }

  return (
    <InfoCard
      title="Manual checklist"
      titleTypographyProps={{ component: 'h2' }}
      subheader={`${done} of ${
        items.length
      } confirmed · shared with everyone who sees this page; a confirmation lasts ${
        checklist?.ttlDays ?? '…'
      } days and never changes the score`}
    >
      {body}
    </InfoCard>
  );
}
