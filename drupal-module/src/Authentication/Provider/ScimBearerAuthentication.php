<?php

namespace Drupal\scim_provisioning\Authentication\Provider;

use Drupal\Core\Authentication\AuthenticationProviderChallengeInterface;
use Drupal\Core\Authentication\AuthenticationProviderInterface;
use Drupal\scim_provisioning\Authentication\AuthorizationHeaderMonitor;
use Drupal\scim_provisioning\Authentication\ScimClientAccount;
use Drupal\scim_provisioning\Http\ScimPath;
use Drupal\scim_provisioning\ScimTokenRepository;
use Drupal\scim_provisioning\Token\BearerToken;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpKernel\Exception\UnauthorizedHttpException;

/**
 * Authenticates SCIM clients by the bearer token they send (RFC 6750).
 *
 * The provider only looks at requests below /scim/v2 and is not global: the
 * SCIM routes name it in their _auth option and no other route accepts it.
 */
class ScimBearerAuthentication implements AuthenticationProviderInterface, AuthenticationProviderChallengeInterface {

  /**
   * The realm named in challenges.
   */
  public const REALM = 'SCIM';

  /**
   * The token repository.
   *
   * @var \Drupal\scim_provisioning\ScimTokenRepository
   */
  protected ScimTokenRepository $tokens;

  /**
   * The monitor of stripped Authorization headers.
   *
   * @var \Drupal\scim_provisioning\Authentication\AuthorizationHeaderMonitor
   */
  protected AuthorizationHeaderMonitor $monitor;

  /**
   * Constructs the SCIM bearer authentication provider.
   *
   * @param \Drupal\scim_provisioning\ScimTokenRepository $tokens
   *   The token repository.
   * @param \Drupal\scim_provisioning\Authentication\AuthorizationHeaderMonitor $monitor
   *   The monitor of stripped Authorization headers.
   */
  public function __construct(ScimTokenRepository $tokens, AuthorizationHeaderMonitor $monitor) {
    $this->tokens = $tokens;
    $this->monitor = $monitor;
  }

  /**
   * {@inheritdoc}
   */
  public function applies(Request $request) {
    return ScimPath::isScimPath($request->getPathInfo())
      && BearerToken::isBearerHeader($request->headers->get('Authorization'));
  }

  /**
   * {@inheritdoc}
   */
  public function authenticate(Request $request) {
    $token = BearerToken::fromAuthorizationHeader($request->headers->get('Authorization'));
    // A bearer header reached PHP: the web server passes it on.
    $this->monitor->recordBearer();
    if ($token === NULL) {
      return NULL;
    }
    $label = $this->tokens->verify($token);
    return $label === NULL ? NULL : new ScimClientAccount($label);
  }

  /**
   * {@inheritdoc}
   */
  public function challengeException(Request $request, \Exception $previous) {
    // RFC 6750 section 3.1: a request without credentials gets a challenge
    // without an error code. Responses on SCIM routes are never cached.
    return new UnauthorizedHttpException(self::challenge(), 'a bearer token is required', $previous);
  }

  /**
   * Builds a WWW-Authenticate challenge.
   *
   * @param string|null $error
   *   An RFC 6750 section 3.1 error code such as "invalid_token", or NULL.
   *
   * @return string
   *   The header value.
   */
  public static function challenge(?string $error = NULL): string {
    $challenge = 'Bearer realm="' . self::REALM . '"';
    return $error === NULL ? $challenge : $challenge . ', error="' . $error . '"';
  }

}
