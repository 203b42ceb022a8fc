<?php

namespace Drupal\scim_provisioning\EventSubscriber;

use Drupal\Core\Session\AccountInterface;
use Drupal\Core\Session\AccountProxyInterface;
use Drupal\Core\Utility\Error;
use Drupal\scim_provisioning\Authentication\AuthorizationHeaderMonitor;
use Drupal\scim_provisioning\Authentication\Provider\ScimBearerAuthentication;
use Drupal\scim_provisioning\Authentication\ScimClientAccount;
use Drupal\scim_provisioning\Http\ScimErrorDocument;
use Drupal\scim_provisioning\Http\ScimPath;
use Drupal\scim_provisioning\ProvisioningLog;
use Drupal\scim_provisioning\Token\BearerToken;
use Psr\Log\LoggerInterface;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Event\ExceptionEvent;
use Symfony\Component\HttpKernel\Exception\AccessDeniedHttpException;
use Symfony\Component\HttpKernel\Exception\HttpExceptionInterface;
use Symfony\Component\HttpKernel\KernelEvents;

/**
 * Turns every failure on a SCIM path into a SCIM error document.
 *
 * This is the one place where SCIM error responses (RFC 7644 section 3.12)
 * leave the site. It runs after core has turned a missing token into a
 * challenge, turns a rejected token into 401 with error="invalid_token"
 * (RFC 6750 section 3.1), writes the failure to the provisioning log and
 * never shows a stack trace. Client errors are not written to the site log;
 * server errors are, with the exception.
 */
class ScimExceptionSubscriber implements EventSubscriberInterface {

  /**
   * The detail shown for each status when the exception has no message.
   */
  protected const DETAILS = [
    400 => 'the request is malformed',
    401 => 'a valid bearer token is required',
    403 => 'the request is not allowed',
    404 => 'no such SCIM endpoint',
    405 => 'the method is not allowed on this endpoint',
    500 => 'an internal error occurred; see the site log',
  ];

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
   * The monitor of stripped Authorization headers.
   *
   * @var \Drupal\scim_provisioning\Authentication\AuthorizationHeaderMonitor
   */
  protected AuthorizationHeaderMonitor $monitor;

  /**
   * Constructs the subscriber.
   *
   * @param \Drupal\scim_provisioning\ProvisioningLog $log
   *   The provisioning log.
   * @param \Drupal\Core\Session\AccountInterface $current_user
   *   The current user.
   * @param \Psr\Log\LoggerInterface $logger
   *   The module's logger channel.
   * @param \Drupal\scim_provisioning\Authentication\AuthorizationHeaderMonitor $monitor
   *   The monitor of stripped Authorization headers.
   */
  public function __construct(ProvisioningLog $log, AccountInterface $current_user, LoggerInterface $logger, AuthorizationHeaderMonitor $monitor) {
    $this->log = $log;
    $this->currentUser = $current_user;
    $this->logger = $logger;
    $this->monitor = $monitor;
  }

  /**
   * {@inheritdoc}
   */
  public static function getSubscribedEvents(): array {
    // After core's authentication subscriber (75 and 80) has turned a
    // missing token into a challenge, before the exception logger (50) and
    // the HTML and JSON renderers.
    return [KernelEvents::EXCEPTION => ['onException', 60]];
  }

  /**
   * Renders an exception on a SCIM path as a SCIM error document.
   *
   * @param \Symfony\Component\HttpKernel\Event\ExceptionEvent $event
   *   The exception event.
   */
  public function onException(ExceptionEvent $event): void {
    $request = $event->getRequest();
    if (!$event->isMainRequest() || !ScimPath::isScimPath($request->getPathInfo())) {
      return;
    }

    $exception = $event->getThrowable();
    $client = $this->client();
    $headers = [];
    if ($exception instanceof AccessDeniedHttpException && $client === NULL && BearerToken::isBearerHeader($request->headers->get('Authorization'))) {
      $status = 401;
      $detail = 'the bearer token is not valid';
      $headers['WWW-Authenticate'] = ScimBearerAuthentication::challenge('invalid_token');
    }
    elseif ($exception instanceof HttpExceptionInterface) {
      $status = $exception->getStatusCode();
      $headers = $exception->getHeaders();
      // The router's own 404 and 405 messages repeat the full URL.
      $generic = in_array($status, [404, 405], TRUE) || $exception->getMessage() === '';
      $detail = $generic ? (self::DETAILS[$status] ?? 'the request failed') : $exception->getMessage();
    }
    else {
      $status = 500;
      $detail = self::DETAILS[500];
    }
    if ($status >= 500) {
      Error::logException($this->logger, $exception);
    }
    if ($status === 401 && !$request->headers->has('Authorization')) {
      $this->monitor->recordMissing();
    }

    $this->log->record([
      'token' => $client ? $client->getTokenLabel() : '',
      'method' => $request->getMethod(),
      'path' => $request->getRequestUri(),
      'resource_type' => self::attribute($request, 'resource_type'),
      'resource_id' => self::attribute($request, 'resource_id'),
      'status' => $status,
      'detail' => $detail,
    ]);

    $response = new Response(ScimErrorDocument::json($status, $detail), $status, $headers);
    $response->headers->set('Content-Type', ScimErrorDocument::CONTENT_TYPE);
    $response->headers->set('Cache-Control', 'no-store');
    $event->setResponse($response);
  }

  /**
   * Returns the SCIM client the request was authenticated as, if any.
   *
   * @return \Drupal\scim_provisioning\Authentication\ScimClientAccount|null
   *   The account, or NULL when no valid token was presented.
   */
  protected function client(): ?ScimClientAccount {
    $account = $this->currentUser instanceof AccountProxyInterface ? $this->currentUser->getAccount() : $this->currentUser;
    return $account instanceof ScimClientAccount ? $account : NULL;
  }

  /**
   * Reads a route parameter as text.
   *
   * @param \Symfony\Component\HttpFoundation\Request $request
   *   The request.
   * @param string $name
   *   The parameter name.
   *
   * @return string
   *   The value, or '' when the route has no such parameter.
   */
  protected static function attribute(Request $request, string $name): string {
    $value = $request->attributes->get($name);
    return is_scalar($value) ? (string) $value : '';
  }

}
