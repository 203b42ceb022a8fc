<?php

namespace Drupal\scim_provisioning\Controller;

use Drupal\Core\DependencyInjection\ContainerInjectionInterface;
use Drupal\Core\Session\AccountInterface;
use Drupal\Core\Session\AccountProxyInterface;
use Drupal\scim_provisioning\Authentication\ScimClientAccount;
use Drupal\scim_provisioning\Http\ScimPath;
use Drupal\scim_provisioning\Http\ServerTiming;
use Drupal\scim_provisioning\ProvisioningLog;
use Drupal\scim_provisioning\ScimServerFactory;
use Psr\Log\LoggerInterface;
use Symfony\Component\DependencyInjection\ContainerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Exception\ServiceUnavailableHttpException;

/**
 * Hands every request on the SCIM routes to the scim extension.
 *
 * Requests arrive here once the _scim_client access check admitted them.
 * The extension's \Scim\Server answers them over the Drupal account store;
 * this controller only passes the request on, turns the answer into a
 * response and writes the provisioning log entry from what the answer says
 * happened. Request bodies are never logged.
 *
 * @see \Drupal\scim_provisioning\Store\DrupalAccountStore
 */
class ScimController implements ContainerInjectionInterface {

  /**
   * The server factory; NULL where the scim extension lacks \Scim\Store.
   *
   * @var \Drupal\scim_provisioning\ScimServerFactory|null
   */
  protected ?ScimServerFactory $servers;

  /**
   * The provisioning log.
   *
   * @var \Drupal\scim_provisioning\ProvisioningLog
   */
  protected ProvisioningLog $log;

  /**
   * The current user.
   *
   * @var \Drupal\Core\Session\AccountInterface
   */
  protected AccountInterface $currentUser;

  /**
   * The module's logger channel.
   *
   * @var \Psr\Log\LoggerInterface
   */
  protected LoggerInterface $logger;

  /**
   * The timer of the Server-Timing header.
   *
   * @var \Drupal\scim_provisioning\Http\ServerTiming
   */
  protected ServerTiming $timing;

  /**
   * Constructs the controller.
   *
   * @param \Drupal\scim_provisioning\ScimServerFactory|null $servers
   *   The server factory, or NULL where the scim extension is missing.
   * @param \Drupal\scim_provisioning\ProvisioningLog $log
   *   The provisioning log.
   * @param \Drupal\Core\Session\AccountInterface $current_user
   *   The current user.
   * @param \Psr\Log\LoggerInterface $logger
   *   The module's logger channel.
   * @param \Drupal\scim_provisioning\Http\ServerTiming $timing
   *   The timer of the Server-Timing header.
   */
  public function __construct(?ScimServerFactory $servers, ProvisioningLog $log, AccountInterface $current_user, LoggerInterface $logger, ServerTiming $timing) {
    $this->servers = $servers;
    $this->log = $log;
    $this->currentUser = $current_user;
    $this->logger = $logger;
    $this->timing = $timing;
  }

  /**
   * {@inheritdoc}
   */
  public static function create(ContainerInterface $container) {
    // The store implements the extension's \Scim\Store interface: where the
    // extension is missing, its class cannot even be loaded.
    return new static(
      static::extensionReady() ? $container->get('scim_provisioning.server_factory') : NULL,
      $container->get('scim_provisioning.log'),
      $container->get('current_user'),
      $container->get('logger.channel.scim_provisioning'),
      $container->get('scim_provisioning.server_timing'),
    );
  }

  /**
   * Handles a SCIM request.
   *
   * @param \Symfony\Component\HttpFoundation\Request $request
   *   The request.
   *
   * @return \Symfony\Component\HttpFoundation\Response
   *   The extension's answer: a SCIM document, or a SCIM error document.
   *
   * @throws \Symfony\Component\HttpKernel\Exception\ServiceUnavailableHttpException
   *   When the scim extension is not loaded, or too old to take a store.
   */
  public function handle(Request $request): Response {
    if (!extension_loaded('scim')) {
      throw new ServiceUnavailableHttpException(NULL, 'the scim PHP extension is not loaded on this site');
    }
    if (!static::extensionReady() || $this->servers === NULL) {
      throw new ServiceUnavailableHttpException(NULL, 'the scim PHP extension on this site is too old: it lacks Scim\Store or Scim\Mapping');
    }

    $this->timing->reset();
    $this->timing->start('total');
    $headers = [];
    foreach ($request->headers->all() as $name => $values) {
      $headers[$name] = count($values) === 1 ? (string) reset($values) : array_values($values);
    }
    $query = (string) $request->server->get('QUERY_STRING', '');
    $server = $this->servers->create();
    $this->timing->start('handle');
    $result = $server->handle(
      $request->getMethod(),
      ScimPath::relative($request->getPathInfo()),
      $query === '' ? NULL : $query,
      $headers,
      $request->getContent(),
    );
    $this->timing->stop('handle');
    $this->timing->start('log');
    $this->record($request, $result, $this->servers->store()->takeReport());
    $this->timing->stop('log');

    $response = new Response((string) ($result['body'] ?? ''), (int) $result['status']);
    foreach ((array) $result['headers'] as $name => $value) {
      $response->headers->set((string) $name, (string) $value);
    }
    $response->headers->set('Cache-Control', 'no-store');
    $this->timing->stop('total');
    if ($this->timing->isEnabled()) {
      $response->headers->set('Server-Timing', $this->timing->header());
    }
    return $response;
  }

  /**
   * Tells whether the scim extension offers what the store needs.
   *
   * @return bool
   *   TRUE when \Scim\Store and \Scim\Mapping exist.
   */
  protected static function extensionReady(): bool {
    return interface_exists('\Scim\Store') && class_exists('\Scim\Mapping');
  }

  /**
   * Writes the provisioning log entry of a request the extension answered.
   *
   * @param \Symfony\Component\HttpFoundation\Request $request
   *   The request.
   * @param array $result
   *   What \Scim\Server::handle() returned.
   * @param array $report
   *   What the store did, from DrupalAccountStore::takeReport().
   */
  protected function record(Request $request, array $result, array $report): void {
    $event = (array) ($result['event'] ?? []);
    $status = (int) $result['status'];
    $notes = implode('; ', $report['notes'] ?? []);
    $detail = (string) ($event['detail'] ?? '');
    if ($notes !== '') {
      $detail = $detail === '' ? $notes : $detail . ' (' . $notes . ')';
    }
    $client = $this->currentUser instanceof AccountProxyInterface ? $this->currentUser->getAccount() : $this->currentUser;
    $this->log->record([
      'token' => $event['token_label'] ?? ($client instanceof ScimClientAccount ? $client->getTokenLabel() : ''),
      'method' => $request->getMethod(),
      'path' => $request->getRequestUri(),
      'resource_type' => $event['resource_type'] ?? '',
      'resource_id' => $event['resource_id'] ?? '',
      'status' => $status,
      'operation' => $report['operation'] ?? $event['operation'] ?? '',
      'detail' => $detail,
    ]);
    if ($status >= 500) {
      $this->logger->error('SCIM request @method @path failed with status @status: @detail', [
        '@method' => $request->getMethod(),
        '@path' => $request->getPathInfo(),
        '@status' => $status,
        '@detail' => $detail,
      ]);
    }
  }

}
