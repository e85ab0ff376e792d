/*
 * The audit export of a cluster, an entity or a team from the portal: every
 * check (passed too) with evidence, waivers and evaluation time, as CSV or
 * as a printable HTML report. The backend needs the user's token, so the
 * file is fetched through the API client and handed to the browser as a
 * download.
 */
import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  AksBaselineApi,
  aksBaselineApiRef,
  AuditExportFormat,
} from '../../api';

const LABELS: Record<AuditExportFormat, string> = {
  csv: 'Download CSV',
  html: 'Download printable report (HTML)',
};

/** Hands a fetched file to the browser as a download. */
function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

type ExportFile = { blob: Blob; fileName: string };

/** What to export: its name in messages, and how to fetch its file. */
export interface AuditExportSubject {
  name: string;
  load(api: AksBaselineApi, format: AuditExportFormat): Promise<ExportFile>;
}

/** Download links for an audit export (CSV, printable HTML). */
export function AuditExportLinks(props: { subject: AuditExportSubject }) {
  const { subject } = props;
  const api = useApi(aksBaselineApiRef);
  const [busy, setBusy] = useState<AuditExportFormat | undefined>();
  const [error, setError] = useState<string | undefined>();

  const download = async (format: AuditExportFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      const { blob, fileName } = await subject.load(api, format);
      saveFile(blob, fileName);
    } catch (e) {
      setError(
        `The ${format.toUpperCase()} export of ${
          subject.name
        } could not be downloaded: ${(e as Error).message}`,
      );
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Box mt={2} data-testid="aks-baseline-export">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Audit export
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Every check of the last evaluation, passed ones too, with evidence,
        waivers and the evaluation time.
      </Typography>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {(['csv', 'html'] as const).map(format => (
          <Button
            key={format}
            variant="outlined"
            size="small"
            disabled={busy !== undefined}
            onClick={() => download(format)}
          >
            {busy === format ? 'Downloading…' : LABELS[format]}
          </Button>
        ))}
      </Box>
      {error ? (
        <Alert severity="error" style={{ marginTop: 8 }}>
          {error}
        </Alert>
      ) : null}
    </Box>
  );
}

/**
 * Download links for the cluster's audit export (CSV, printable HTML).
 *
 * @public
 */
export function ClusterExportLinks(props: { cluster: string }) {
  const { cluster } = props;
  return (
    <AuditExportLinks
      subject={{
        name: cluster,
        load: (api, format) => api.getClusterExport(cluster, format),
      }}
    />
  );
}

/** Download links for a team's audit export (the entities it owns). */
export function TeamExportLinks(props: { group: CompoundEntityRef }) {
  const { group } = props;
  return (
    <AuditExportLinks
      subject={{
        name: group.name,
        load: (api, format) => api.getTeamExport(group, format),
      }}
    />
  );
}

/** Download links for an entity's audit export. */
export function EntityExportLinks(props: { entity: CompoundEntityRef }) {
  const { entity } = props;
  return (
    <AuditExportLinks
      subject={{
        name: entity.name,
        load: (api, format) => api.getEntityExport(entity, format),
      }}
    />
  );
}
