/*
 * The cluster's audit export from the portal: every check (passed too)
 * with evidence, waivers and evaluation time, as CSV or as a printable
 * HTML report. The backend needs the user's token, so the file is fetched
 * through the API client and handed to the browser as a download.
 */
import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { aksBaselineApiRef, AuditExportFormat } from '../../api';

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

/**
 * Download links for the cluster's audit export (CSV, printable HTML).
 *
 * @public
 */
export function ClusterExportLinks(props: { cluster: string }) {
  const { cluster } = props;
  const api = useApi(aksBaselineApiRef);
  const [busy, setBusy] = useState<AuditExportFormat | undefined>();
  const [error, setError] = useState<string | undefined>();

  const download = async (format: AuditExportFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      const { blob, fileName } = await api.getClusterExport(cluster, format);
      saveFile(blob, fileName);
    } catch (e) {
      setError(
        `The ${format.toUpperCase()} export of ${cluster} could not be downloaded: ${
          (e as Error).message
        }`,
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
