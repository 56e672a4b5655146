"""The Google Sheets backend: the backend itself, its batchUpdate requests, the HTTP client with retries, the throttle, credentials and Google's errors."""
