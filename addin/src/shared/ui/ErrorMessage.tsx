import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { describeError } from '../api/api-error.js';

/** Any failure, said so a person knows what happened and what to do; optionally with a retry. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, detail, code } = describeError(error);
  return (
    <MessageBar intent="error" layout="multiline" data-error-code={code} role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {detail}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button size="small" onClick={onRetry}>
            Try again
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
