#include "osteo/eval/irls.h"

#include <algorithm>
#include <cmath>

namespace osteo::eval {

double sigmoid(double t) {
  if (t >= 0.0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

namespace {

// log(1 + e^t) without overflow.
double softplus(double t) { return t > 0.0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t)); }

double linear(const std::vector<double>& beta, const std::vector<double>& row) {
  double eta = beta[0];
  for (std::size_t j = 0; j < row.size(); ++j) eta += beta[j + 1] * row[j];
  return eta;
}

double penalised_loss(const std::vector<std::vector<double>>& x, const std::vector<int>& y,
                      const std::vector<double>& beta, double l2) {
  double nll = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double eta = linear(beta, x[i]);
    // −log p(y|eta) = softplus(eta) − y·eta
    nll += softplus(eta) - (y[i] == 1 ? eta : 0.0);
  }
  double pen = 0.0;
  for (std::size_t j = 1; j < beta.size(); ++j) pen += beta[j] * beta[j];
  return nll / static_cast<double>(x.size()) + 0.5 * l2 * pen;
}

// Solves H·s = g in place by Cholesky; returns false if H is not positive definite.
bool cholesky_solve(std::vector<std::vector<double>> h, std::vector<double>& g) {
  const std::size_t p = g.size();
  for (std::size_t j = 0; j < p; ++j) {
    double d = h[j][j];
    for (std::size_t k = 0; k < j; ++k) d -= h[j][k] * h[j][k];
    if (!(d > 1e-300)) return false;
    h[j][j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < p; ++i) {
      double s = h[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= h[i][k] * h[j][k];
      h[i][j] = s / h[j][j];
    }
  }
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t k = 0; k < i; ++k) g[i] -= h[i][k] * g[k];
    g[i] /= h[i][i];
  }
  for (std::size_t i = p; i-- > 0;) {
    for (std::size_t k = i + 1; k < p; ++k) g[i] -= h[k][i] * g[k];
    g[i] /= h[i][i];
  }
  return true;
}

}  // namespace

IrlsFit fit_irls(const std::vector<std::vector<double>>& x, const std::vector<int>& y, const IrlsOptions& options) {
  const std::size_t n = x.size();
  const std::size_t p = (n == 0 ? 0 : x[0].size()) + 1;
  IrlsFit fit;
  fit.beta.assign(p, 0.0);
  if (n == 0) return fit;
  const double inv_n = 1.0 / static_cast<double>(n);
  double loss = penalised_loss(x, y, fit.beta, options.l2);
  for (int iter = 1; iter <= options.max_iterations; ++iter) {
    fit.iterations = iter;
    std::vector<double> grad(p, 0.0);
    std::vector<std::vector<double>> hess(p, std::vector<double>(p, 0.0));
    for (std::size_t i = 0; i < n; ++i) {
      const double mu = sigmoid(linear(fit.beta, x[i]));
      const double r = mu - (y[i] == 1 ? 1.0 : 0.0);
      const double w = mu * (1.0 - mu);
      for (std::size_t a = 0; a < p; ++a) {
        const double xa = a == 0 ? 1.0 : x[i][a - 1];
        grad[a] += r * xa;
        for (std::size_t b = 0; b <= a; ++b) hess[a][b] += w * xa * (b == 0 ? 1.0 : x[i][b - 1]);
      }
    }
    for (std::size_t a = 0; a < p; ++a) {
      grad[a] *= inv_n;
      for (std::size_t b = 0; b <= a; ++b) hess[b][a] = hess[a][b] *= inv_n;
      if (a > 0) {
        grad[a] += options.l2 * fit.beta[a];
        hess[a][a] += options.l2;
      }
    }
    std::vector<double> step = grad;
    // A tiny ridge rescues a singular Hessian (e.g. a constant column with l2 = 0).
    if (!cholesky_solve(hess, step)) {
      for (std::size_t a = 0; a < p; ++a) hess[a][a] += 1e-9;
      step = grad;
      if (!cholesky_solve(hess, step)) break;
    }
    double scale = 1.0;
    std::vector<double> trial(p);
    double trial_loss = loss;
    for (int halving = 0; halving < 40; ++halving, scale *= 0.5) {
      for (std::size_t a = 0; a < p; ++a) trial[a] = fit.beta[a] - scale * step[a];
      trial_loss = penalised_loss(x, y, trial, options.l2);
      if (trial_loss <= loss + 1e-15) break;
    }
    double max_step = 0.0;
    for (std::size_t a = 0; a < p; ++a) max_step = std::max(max_step, std::abs(trial[a] - fit.beta[a]));
    const bool improved = trial_loss <= loss + 1e-15;
    if (improved) {
      fit.beta = trial;
      loss = trial_loss;
    }
    if (max_step < options.tolerance || !improved) {
      fit.converged = improved || max_step < options.tolerance;
      break;
    }
  }
  fit.loss = loss;
  return fit;
}

}  // namespace osteo::eval
