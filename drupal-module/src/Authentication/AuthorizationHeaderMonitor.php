<?php

namespace Drupal\scim_provisioning\Authentication;

use Drupal\Component\Datetime\TimeInterface;
use Drupal\Core\State\StateInterface;

/**
 * Notices when SCIM requests reach PHP without their Authorization header.
 *
 * Some CGI and FastCGI set-ups (Apache with php-cgi or PHP-FPM, some shared
 * hosts) remove the Authorization header before PHP sees it: the identity
 * provider sends its token, and the site answers 401 "a bearer token is
 * required". No request to the site itself can tell, since it would pass
 * through the same server. Instead, the module records the time of the
 * latest SCIM request that carried a bearer token and of the latest that
 * carried no Authorization header at all (which no identity provider
 * sends). When requests without the header keep arriving and none with it
 * came after them, the status report says the header is probably stripped,
 * and how to fix it.
 *
 * Symfony already recovers the header from REDIRECT_HTTP_AUTHORIZATION,
 * where Apache's mod_rewrite moves it, so that case needs no fix.
 *
 * Times are written at most once a minute per kind, so that bursts of
 * requests do not each write to the database.
 */
class AuthorizationHeaderMonitor {

  /**
   * The state key the observations are kept under.
   */
  public const STATE_KEY = 'scim_provisioning.authorization_header';

  /**
   * How many seconds may pass before a time is written again.
   */
  public const GRANULARITY = 60;

  /**
   * The state service.
   *
   * @var \Drupal\Core\State\StateInterface
   */
  protected StateInterface $state;

  /**
   * The time service.
   *
   * @var \Drupal\Component\Datetime\TimeInterface
   */
  protected TimeInterface $time;

  /**
   * Constructs the monitor.
   *
   * @param \Drupal\Core\State\StateInterface $state
   *   The state service.
   * @param \Drupal\Component\Datetime\TimeInterface $time
   *   The time service.
   */
  public function __construct(StateInterface $state, TimeInterface $time) {
    $this->state = $state;
    $this->time = $time;
  }

  /**
   * Records a SCIM request that carried a bearer token, valid or not.
   */
  public function recordBearer(): void {
    $this->record('bearer');
  }

  /**
   * Records a SCIM request that carried no Authorization header at all.
   */
  public function recordMissing(): void {
    $this->record('missing');
  }

  /**
   * Returns what was observed.
   *
   * @return array
   *   - bearer: Unix time of the latest request with a bearer token, or 0.
   *   - missing: Unix time of the latest request without the header, or 0.
   */
  public function observations(): array {
    $seen = (array) $this->state->get(self::STATE_KEY, []);
    return [
      'bearer' => (int) ($seen['bearer'] ?? 0),
      'missing' => (int) ($seen['missing'] ?? 0),
    ];
  }

  /**
   * Tells whether the header is probably stripped by the web server.
   *
   * @return bool
   *   TRUE when the latest SCIM request without the header came after the
   *   latest one with a bearer token (allowing for the write granularity).
   */
  public function isProbablyStripped(): bool {
    $seen = $this->observations();
    return $seen['missing'] > 0 && $seen['missing'] > $seen['bearer'] + self::GRANULARITY;
  }

  /**
   * Writes the time of an observation, at most once a minute.
   *
   * @param string $kind
   *   Either "bearer" or "missing".
   */
  protected function record(string $kind): void {
    $seen = (array) $this->state->get(self::STATE_KEY, []);
    $now = $this->time->getRequestTime();
    if ($now - (int) ($seen[$kind] ?? 0) >= self::GRANULARITY) {
      $seen[$kind] = $now;
      $this->state->set(self::STATE_KEY, $seen);
    }
  }

}
