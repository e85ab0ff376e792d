import { useEffect, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import { CodeSnippet, InfoCard } from '@backstage/core-components';
import {
  identityApiRef,
  storageApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import { JsonObject, JsonValue } from '@backstage/types';
import { SeverityChip } from './Chips';
import { absoluteTime, shortRef } from './format';

interface Confirmation {
  confirmedAt: string;
  by?: string;
}

type Confirmations = Record<string, Confirmation>;

/** What the storage bucket holds: rule id → confirmation. */
function readConfirmations(value: JsonValue | undefined): Confirmations {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Confirmations = {};
  for (const [ruleId, entry] of Object.entries(value)) {
    if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const confirmedAt = entry.confirmedAt;
      if (typeof confirmedAt !== 'string') continue;
      out[ruleId] = {
        confirmedAt,
        ...(typeof entry.by === 'string' ? { by: entry.by } : {}),
      };
    }
  }
  return out;
}

function toJson(confirmations: Confirmations): JsonObject {
  const out: JsonObject = {};
  for (const [ruleId, c] of Object.entries(confirmations)) {
    out[ruleId] = c.by
      ? { confirmedAt: c.confirmedAt, by: c.by }
      : { confirmedAt: c.confirmedAt };
  }
  return out;
}

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
 * findings, one item per rule.
 */
export function manualItems(
  rules: ReadonlyMap<string, RuleInfo>,
  manualRuleIds: readonly string[],
): RuleInfo[] {
  const items = new Map<string, RuleInfo>();
  for (const rule of rules.values()) {
    if (rule.manual && rule.enabled !== false) items.set(rule.id, rule);
  }
  for (const id of manualRuleIds) {
    const rule = rules.get(id);
    // A rule the catalog does not know cannot be described; it is left out.
    if (!rule || items.has(id)) continue;
    items.set(id, {
      ...rule,
      manual: rule.manual ?? { reason: rule.rationale },
    });
  }
  return [...items.values()].sort((a, b) =>
    a.baselineRef.localeCompare(b.baselineRef),
  );
}

function ChecklistItem(props: {
  rule: RuleInfo;
  confirmation?: Confirmation;
  onToggle: (checked: boolean) => void;
}) {
  const { rule, confirmation, onToggle } = props;
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
        inputProps={{ 'aria-labelledby': `${labelId}-title` }}
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
        <Typography variant="caption" component="p" className={classes.status}>
          {confirmation
            ? `Confirmed ${
                confirmation.by ? `by ${shortRef(confirmation.by)} ` : ''
              }on ${absoluteTime(confirmation.confirmedAt)}`
            : 'Not confirmed yet'}
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

/**
 * The baseline items no API can show, as a checklist the owner confirms.
 * Confirmations are kept with the user's settings (Backstage storage API);
 * they are never counted as passed and never enter the score.
 */
export function ManualChecklist(props: {
  /** Key the confirmations are stored under (an entity or cluster ref). */
  subject: string;
  items: RuleInfo[];
}) {
  const { subject, items } = props;
  const storageApi = useApi(storageApiRef);
  const identityApi = useApi(identityApiRef);
  const bucket = useMemo(
    () => storageApi.forBucket('aks-baseline'),
    [storageApi],
  );
  const key = `manual-checklist:${subject}`;
  const [confirmations, setConfirmations] = useState<Confirmations>(() =>
    readConfirmations(bucket.snapshot<JsonValue>(key).value),
  );

  useEffect(() => {
    const subscription = bucket.observe$<JsonValue>(key).subscribe(snap => {
      setConfirmations(readConfirmations(snap.value));
    });
    return () => subscription.unsubscribe();
  }, [bucket, key]);

  const toggle = async (ruleId: string, checked: boolean) => {
    const next = { ...confirmations };
    if (checked) {
      let by: string | undefined;
      try {
        by = (await identityApi.getBackstageIdentity()).userEntityRef;
      } catch {
        by = undefined;
      }
      next[ruleId] = { confirmedAt: new Date().toISOString(), by };
    } else {
      delete next[ruleId];
    }
    setConfirmations(next);
    await bucket.set(key, toJson(next));
  };

  if (items.length === 0) return null;
  const done = items.filter(i => confirmations[i.id]).length;

  return (
    <InfoCard
      title="Manual checklist"
      subheader={`${done} of ${items.length} confirmed · items no API can show; confirming them does not change the score`}
    >
      <List
        disablePadding
        aria-label="Manual checklist"
        data-testid="aks-baseline-manual-checklist"
      >
        {items.map(rule => (
          <ChecklistItem
            key={rule.id}
            rule={rule}
            confirmation={confirmations[rule.id]}
            onToggle={checked => toggle(rule.id, checked)}
          />
        ))}
      </List>
    </InfoCard>
  );
}
