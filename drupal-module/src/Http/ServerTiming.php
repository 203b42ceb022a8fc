<?php

namespace Drupal\scim_provisioning\Http;

/**
 * Measures where a SCIM request's time goes, for a Server-Timing header.
 *
 * Off unless the site's settings.php turns it on:
 * $settings['scim_provisioning_server_timing'] = TRUE. The controller
 * measures its whole work ("total") and the call into the extension
 * ("handle"), the store its callbacks ("store") and, inside them, its entity
 * loads, saves and queries ("entity"); the provisioning log write is "log".
 * The header then says total, scim (handle less store), store, entity and
 * log, in milliseconds (W3C Server Timing). Drupal's own work, from
 * bootstrap to routing and authentication, is what the client measures
 * beyond "total".
 */
class ServerTiming {

  /**
   * Whether timing is on.
   *
   * @var bool
   */
  protected bool $enabled;

  /**
   * Nanoseconds measured, by phase.
   *
   * @var int[]
   */
  protected array $spent = [];

  /**
   * Open measurements, by phase: depth and start.
   *
   * @var array[]
   */
  protected array $open = [];

  /**
   * Constructs the timer.
   *
   * @param bool $enabled
   *   Whether to measure.
   */
  public function __construct(bool $enabled) {
    $this->enabled = $enabled;
  }

  /**
   * Builds the timer the site's settings ask for.
   *
   * @param \Drupal\Core\Site\Settings|object $settings
   *   The site's settings: anything with get($name, $default).
   *
   * @return static
   *   A timer, on when scim_provisioning_server_timing is TRUE.
   */
  public static function fromSettings(object $settings): self {
    return new static((bool) $settings->get('scim_provisioning_server_timing', FALSE));
  }

  /**
   * Tells whether timing is on.
   *
   * @return bool
   *   TRUE when the header is to be sent.
   */
  public function isEnabled(): bool {
    return $this->enabled;
  }

  /**
   * Starts measuring a phase; a nested start of the same phase is ignored.
   *
   * @param string $phase
   *   The phase, such as "entity".
   */
  public function start(string $phase): void {
    if (!$this->enabled) {
      return;
    }
    $open = $this->open[$phase] ?? [0, 0];
    if ($open[0] === 0) {
      $open[1] = hrtime(TRUE);
    }
    $open[0]++;
    $this->open[$phase] = $open;
  }

  /**
   * Stops measuring a phase.
   *
   * @param string $phase
   *   The phase.
   */
  public function stop(string $phase): void {
    if (!$this->enabled || empty($this->open[$phase][0])) {
      return;
    }
    $this->open[$phase][0]--;
    if ($this->open[$phase][0] === 0) {
      $this->spent[$phase] = ($this->spent[$phase] ?? 0) + hrtime(TRUE) - $this->open[$phase][1];
    }
  }

  /**
   * Forgets what was measured, for the next request.
   */
  public function reset(): void {
    $this->spent = [];
    $this->open = [];
  }

  /**
   * Returns the milliseconds spent in a phase.
   *
   * @param string $phase
   *   The phase.
   *
   * @return float
   *   The time, 0 when it was not measured.
   */
  public function milliseconds(string $phase): float {
    return ($this->spent[$phase] ?? 0) / 1e6;
  }

  /**
   * Builds the Server-Timing header value of the measured request.
   *
   * @return string
   *   For example "total;dur=12.41, scim;dur=0.35, store;dur=8.02,
   *   entity;dur=6.90, log;dur=0.61".
   */
  public function header(): string {
    $phases = [
      'total' => $this->milliseconds('total'),
      'scim' => max(0.0, $this->milliseconds('handle') - $this->milliseconds('store')),
      'store' => $this->milliseconds('store'),
      'entity' => $this->milliseconds('entity'),
      'log' => $this->milliseconds('log'),
    ];
    $parts = [];
    foreach ($phases as $name => $milliseconds) {
      $parts[] = sprintf('%s;dur=%.2f', $name, $milliseconds);
    }
    return implode(', ', $parts);
  }

}
